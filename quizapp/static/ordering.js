// Ordering questions: without script the page asks which item goes in each place, one menu per place;
// with it, the items become a list to put in order by dragging them (mouse or finger) or with each
// item's Move up and Move down buttons (keyboard and touch alike). The form then sends the items' ids
// in the list's order, just as the menus would. A live region says where a moved item now is.
(function () {
  "use strict";
  function byId(items, id) {
    for (var i = 0; i < items.length; i += 1) { if (items[i].id === id) { return items[i]; } }
    return null;
  }
  function button(label, symbol, direction) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "move";
    b.setAttribute("data-move", direction);
    b.setAttribute("aria-label", label);
    b.textContent = symbol;
    return b;
  }
  function enhance(menus) {
    var selects = menus.querySelectorAll("select[name=response]");
    if (!selects.length) { return; }
    var items = Array.prototype.filter.call(selects[0].options, function (o) { return o.value; })
      .map(function (o) { return { id: o.value, text: o.text }; });
    var chosen = Array.prototype.map.call(selects, function (s) { return s.value; });
    var distinct = chosen.filter(function (id, i) { return id && chosen.indexOf(id) === i; });
    var order = distinct.length === items.length ? chosen.map(function (id) { return byId(items, id); }) : items;

    var list = document.createElement("ol");
    list.className = "reorder";
    var live = document.createElement("p");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    order.forEach(function (item) {
      var li = document.createElement("li");
      li.setAttribute("data-id", item.id);
      var grip = document.createElement("span");
      grip.className = "grip";
      grip.setAttribute("aria-hidden", "true");
      grip.textContent = "⠿";
      var text = document.createElement("span");
      text.className = "text";
      text.textContent = item.text;
      var value = document.createElement("input");
      value.type = "hidden";
      value.name = "response";
      value.value = item.id;
      li.append(grip, text, value, button("Move “" + item.text + "” up", "↑", "up"),
                button("Move “" + item.text + "” down", "↓", "down"));
      list.appendChild(li);
    });

    function refresh() {
      var rows = list.children;
      Array.prototype.forEach.call(rows, function (li, i) {
        li.querySelector("[data-move=up]").setAttribute("aria-disabled", i === 0 ? "true" : "false");
        li.querySelector("[data-move=down]").setAttribute("aria-disabled", i === rows.length - 1 ? "true" : "false");
      });
    }
    function say(li) {
      var place = Array.prototype.indexOf.call(list.children, li) + 1;
      live.textContent = "“" + li.querySelector(".text").textContent + "” is now in place " + place + " of " +
        list.children.length + ".";
    }
    list.addEventListener("click", function (event) {
      var b = event.target.closest("button[data-move]");
      if (!b || b.getAttribute("aria-disabled") === "true") { return; }
      var li = b.closest("li");
      if (b.getAttribute("data-move") === "up" && li.previousElementSibling) {
        list.insertBefore(li, li.previousElementSibling);
      } else if (b.getAttribute("data-move") === "down" && li.nextElementSibling) {
        list.insertBefore(li.nextElementSibling, li);
      }
      refresh();
      b.focus();
      say(li);
    });
    // Dragging runs on pointer events, so a mouse, a finger and a pen all work the same way. A mouse
    // can pick an item up anywhere; a finger only by its grip, so that swiping elsewhere still scrolls.
    var dragged = null;
    list.addEventListener("pointerdown", function (event) {
      var li = event.target.closest("li");
      if (!li || event.target.closest("button")) { return; }
      if (event.pointerType === "mouse" ? event.button !== 0 : !event.target.closest(".grip")) { return; }
      event.preventDefault();
      dragged = li;
      dragged.classList.add("dragging");
      list.classList.add("sorting");
      li.setPointerCapture(event.pointerId);
    });
    list.addEventListener("pointermove", function (event) {
      if (!dragged) { return; }
      var after = Array.prototype.find.call(list.children, function (li) {
        if (li === dragged) { return false; }
        var box = li.getBoundingClientRect();
        return event.clientY < box.top + box.height / 2;
      });
      if (after !== dragged.nextElementSibling && after !== dragged) {
        list.insertBefore(dragged, after || null);
      }
    });
    function drop() {
      if (!dragged) { return; }
      dragged.classList.remove("dragging");
      list.classList.remove("sorting");
      refresh();
      say(dragged);
      dragged = null;
    }
    list.addEventListener("pointerup", drop);
    list.addEventListener("pointercancel", drop);

    refresh();
    var hint = menus.previousElementSibling;
    if (hint && hint.classList.contains("hint")) {
      hint.textContent = "Put the items in order, first at the top: drag them, or use each item's arrows.";
    }
    menus.replaceWith(list);
    list.after(live);
  }
  Array.prototype.forEach.call(document.querySelectorAll("ol.ordering"), enhance);
})();
