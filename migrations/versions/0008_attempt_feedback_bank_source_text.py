"""attempts keep their feedback timing; banks keep their source text

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 08:19:11.322166

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feedback', sa.Enum('after_each', 'at_end', name='feedback', native_enum=False, length=16), server_default='after_each', nullable=False))

    # Attempts begun before this revision take their quiz's timing as it stands.
    op.execute("UPDATE attempt SET feedback = (SELECT quiz.feedback FROM quiz WHERE quiz.id = attempt.quiz_id)")

    with op.batch_alter_table('bank', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_text', sa.Text(), server_default='', nullable=False))



def downgrade():
    with op.batch_alter_table('bank', schema=None) as batch_op:
        batch_op.drop_column('source_text')

    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_column('feedback')

