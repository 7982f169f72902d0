"""quiz builder, bank sharing, drafts to review

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 07:50:50.330654

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bank_share',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('teacher_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bank_id'], ['bank.id'], name=op.f('fk_bank_share_bank_id_bank'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['teacher_id'], ['user.id'], name=op.f('fk_bank_share_teacher_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_share')),
    sa.UniqueConstraint('bank_id', 'teacher_id', name=op.f('uq_bank_share_bank_id_teacher_id'))
    )
    with op.batch_alter_table('bank_share', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_share_teacher_id'), ['teacher_id'], unique=False)

    with op.batch_alter_table('bank', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draft', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('review_note', sa.Text(), server_default='', nullable=False))

    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.add_column(sa.Column('question_keys', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('feedback', sa.Enum('after_each', 'at_end', name='feedback', native_enum=False, length=16), server_default='after_each', nullable=False))



def downgrade():
    with op.batch_alter_table('quiz', schema=None) as batch_op:
        batch_op.drop_column('feedback')
        batch_op.drop_column('question_keys')

    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_column('review_note')
        batch_op.drop_column('draft')

    with op.batch_alter_table('bank', schema=None) as batch_op:
        batch_op.drop_column('archived')

    with op.batch_alter_table('bank_share', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bank_share_teacher_id'))

    op.drop_table('bank_share')
