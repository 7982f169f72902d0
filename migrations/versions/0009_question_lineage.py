"""questions carry their lineage: copies share the identity of the question they came from

A question copied into another bank (a teacher's copy of a bundled bank, a duplicated question) keeps
the id of the original in ``lineage``, so that the key of an assigned question stays withheld through
every copy of it. Copies made before this revision are recognised by their id and type matching a
question of a bundled bank, which is how copying made them.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 11:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lineage', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_question_lineage'), ['lineage'], unique=False)

    op.execute("""
        UPDATE question SET lineage = (
            SELECT MIN(original.id) FROM question AS original
            JOIN bank AS bundled ON bundled.id = original.bank_id
            WHERE bundled.owner_id IS NULL AND original.key = question.key AND original.type = question.type
        )
        WHERE question.bank_id IN (SELECT id FROM bank WHERE owner_id IS NOT NULL)
    """)


def downgrade():
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_lineage'))
        batch_op.drop_column('lineage')
