"""names are kept without bidirectional controls

Override and isolate characters (U+202A–U+202E, U+2066–U+2069) in a name can make it read as something
else ("Ana\u202egnp.exe" shows as "Anaexe.png"). The models now strip them from every name as it is
written; this strips them from the names already stored. It cannot be undone, and needs no undoing.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

NAMES = {
    'user': ('display_name',),
    'classroom': ('name',),
    'membership': ('nickname',),
    'bank': ('title', 'source_title'),
    'quiz': ('title',),
}
CONTROLS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]


def upgrade():
    for table_name, columns in NAMES.items():
        table = sa.table(table_name, *(sa.column(c, sa.String) for c in columns))
        for column in columns:
            cleaned = table.c[column]
            for control in CONTROLS:
                cleaned = sa.func.replace(cleaned, control, '')
            has_control = sa.or_(*(table.c[column].contains(control, autoescape=True) for control in CONTROLS))
            op.execute(table.update().where(has_control).values({column: sa.func.trim(cleaned)}))


def downgrade():
    pass
