"""attempt items keep the question's type, key and points as they were when the attempt began

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 07:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempt_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('type', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('spec', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('points', sa.Integer(), nullable=True))

    # Existing items take the question as it is now: the best there is for attempts already made.
    op.execute("""
        UPDATE attempt_item SET
            version = (SELECT q.version FROM question q WHERE q.id = attempt_item.question_id),
            type = (SELECT q.type FROM question q WHERE q.id = attempt_item.question_id),
            spec = (SELECT q.spec FROM question q WHERE q.id = attempt_item.question_id),
            points = (SELECT q.points FROM question q WHERE q.id = attempt_item.question_id)
    """)

    with op.batch_alter_table('attempt_item', schema=None) as batch_op:
        batch_op.alter_column('version', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('type', existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column('spec', existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column('points', existing_type=sa.Integer(), nullable=False)


def downgrade():
    with op.batch_alter_table('attempt_item', schema=None) as batch_op:
        batch_op.drop_column('points')
        batch_op.drop_column('spec')
        batch_op.drop_column('type')
        batch_op.drop_column('version')
