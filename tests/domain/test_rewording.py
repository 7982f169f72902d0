"""Other words for the same idea, and words of the opposite sense, for drafted questions."""

from quizapp.domain.rewording import apply, opposites, same_meaning


def test_same_meaning_rewords_every_known_word_once_and_keeps_a_capital():
    text, changes = same_meaning("Significant progress may be made on the key objectives.")
    assert text == "Considerable headway could be made on the main goals."
    assert [(c.was, c.became) for c in changes] == [
        ("Significant", "Considerable"), ("progress", "headway"), ("may", "could"), ("key", "main"),
        ("objectives", "goals")]


def test_a_phrase_is_reworded_before_its_words():
    assert same_meaning("The leaders will strategize on future actions.")[0] == "The leaders will plan next steps."
    assert same_meaning("It aims to consolidate the armed forces.")[0] == "It intends to strengthen the military."


def test_words_inside_kept_spans_and_capitalised_names_stay():
    text = "Critical support came from the Key Foundation in May."
    kept = [(text.index("Key Foundation"), text.index("Key Foundation") + len("Key Foundation"))]
    assert same_meaning(text, kept)[0] == "Vital backing came from the Key Foundation in May."
    assert same_meaning("Support came from Theresa May.")[0] == "Backing came from Theresa May."


def test_nothing_known_is_left_as_it_is():
    assert same_meaning("Ships unload timber at the quay.") == ("Ships unload timber at the quay.", [])


def test_opposites_list_each_word_that_can_be_reversed():
    text = "The first ship docked ten years after work began, to enhance trade."
    found = opposites(text)
    assert [(c.was, c.became) for c in found] == [("first", "last"), ("after", "before"), ("enhance", "reduce")]
    assert apply(text, found[1]) == "The first ship docked ten years before work began, to enhance trade."
    assert opposites("After the war, trade rose.")[0].became == "Before"  # a capital at the start is a word
