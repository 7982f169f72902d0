"""one-time passwords a teacher hands out, and the school's time zone

A user gets ``must_choose_password`` (every page leads to choosing a password until done) and
``one_time_password_expires_at`` (while set, the password hash is of a one-time password that stops
working then). The one-row ``school_settings`` table keeps the school's time zone, empty until a teacher
chooses it; the TIMEZONE setting is used until then.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('school_settings',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_settings'))
    )
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_choose_password', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('one_time_password_expires_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('one_time_password_expires_at')
        batch_op.drop_column('must_choose_password')
    op.drop_table('school_settings')
