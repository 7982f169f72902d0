"""assignments can be extended for one student, and archived

A student may be given a later close and extra attempts at an assignment (``assignment_extension``);
an assignment deleted after students answered it is archived (``assignment.archived_at``) so that their
answers stay. Existing assignments stay as they are: none is archived, nobody has an extension.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('assignment_extension',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('extra_attempts', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_assignment_extension_assignment_id_assignment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_assignment_extension_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_extension')),
    sa.UniqueConstraint('assignment_id', 'user_id', name=op.f('uq_assignment_extension_assignment_id_user_id'))
    )
    with op.batch_alter_table('assignment_extension', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_extension_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_column('archived_at')

    with op.batch_alter_table('assignment_extension', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_extension_user_id'))

    op.drop_table('assignment_extension')
