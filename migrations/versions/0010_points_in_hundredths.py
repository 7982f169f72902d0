"""points are kept as exact hundredths

Scores summed as floating point drifted (38.999999 shown as "39." for 39 points). Every column of
points becomes an integer count of hundredths; the values already stored are rounded to the
hundredth, which is what the pages showed of them.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 11:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

COLUMNS = {
    'answer': ('points_awarded',),
    'attempt': ('score', 'max_score'),
    'assignment_result': ('score', 'max_score'),
    'class_standing': ('score', 'max_score'),
}


def upgrade():
    for table, columns in COLUMNS.items():
        # Scaled while still floating point; SQLite's batch copy then casts the whole numbers.
        op.execute(f"UPDATE {table} SET " + ", ".join(f"{c} = ROUND({c} * 100)" for c in columns))
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, existing_type=sa.Double(), type_=sa.Integer(), existing_nullable=False,
                                      postgresql_using=f"ROUND({column})::integer")


def downgrade():
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, existing_type=sa.Integer(), type_=sa.Double(), existing_nullable=False)
        op.execute(f"UPDATE {table} SET " + ", ".join(f"{c} = {c} / 100.0" for c in columns))
