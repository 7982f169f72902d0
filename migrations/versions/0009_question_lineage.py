"""questions carry their lineage: copies share the identity of the question they came from

A question copied into another bank (a teacher's copy of a bundled bank, a duplicated question) keeps
the id of the original in ``lineage``, so that the key of an assigned question stays withheld through
every copy of it. Copies made before this revision are recognised as copying made them: a copied
bank's id starts with its bundled bank's, and its questions keep their ids and types; a duplicated
question's id is its original's with "-copy".

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

    # A teacher's copy of a bundled bank: its id starts with the bundled bank's id and a hyphen (copying
    # names it "<bank>-<teacher>"), and its questions keep their ids and types.
    op.execute("""
        UPDATE question SET lineage = (
            SELECT original.id FROM question AS original
            JOIN bank AS bundled ON bundled.id = original.bank_id
            JOIN bank AS copy ON copy.id = question.bank_id
            WHERE bundled.owner_id IS NULL AND copy.key LIKE bundled.key || '-%'
              AND original.key = question.key AND original.type = question.type
            ORDER BY length(bundled.key) DESC LIMIT 1
        )
        WHERE question.bank_id IN (SELECT id FROM bank WHERE owner_id IS NOT NULL)
    """)
    # A duplicated question: "<id>-copy", "<id>-copy-2" … beside its original, of the same type.
    op.execute("""
        UPDATE question SET lineage = (
            SELECT COALESCE(original.lineage, original.id) FROM question AS original
            WHERE original.bank_id = question.bank_id AND original.type = question.type
              AND original.id != question.id AND question.key LIKE original.key || '-copy%'
            ORDER BY length(original.key) DESC LIMIT 1
        )
        WHERE question.lineage IS NULL AND question.key LIKE '%-copy%'
    """)


def downgrade():
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_lineage'))
        batch_op.drop_column('lineage')
