"""Group complaints (群体投诉) and emergency responses (应急响应), drills included."""
from peewee import (BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField,
                    TextField)

from domain.models import BaseModel, Complaint, User, utcnow


class GroupDetail(BaseModel):
    """What a crowd brought with it: one row per group complaint."""
    complaint = ForeignKeyField(Complaint, unique=True, backref="group_details",
                                on_delete="RESTRICT")
    headcount = IntegerField()
    location = CharField(max_length=300)
    mood = CharField(max_length=16)  # vocab.MOODS
    core_demands = TextField()
    # Until a leader (or the complaint manager) records it handled, or an emergency
    # response is activated, it heads every leader's page.
    handled_at = DateTimeField(null=True)
    handled_by = ForeignKeyField(User, null=True, backref="groups_handled",
                                 on_delete="RESTRICT")
    handled_note = TextField(default="")

    class Meta:
        indexes = ((("handled_at",), False),)


class GroupRepresentative(BaseModel):
    """One of the two or three people who speak for the group."""
    group = ForeignKeyField(GroupDetail, backref="representatives", on_delete="RESTRICT")
    position = IntegerField()  # 1, 2, 3: the order given at intake
    name = CharField(max_length=120)
    contact = CharField(max_length=120, default="")


class EmergencyResponse(BaseModel):
    """An activation of the emergency plan for a group or major complaint, or a drill."""
    number = CharField(max_length=40, unique=True)
    complaint = ForeignKeyField(Complaint, null=True, backref="emergency_responses",
                                on_delete="RESTRICT")
    drill = BooleanField(default=False)  # drills are excluded from every statistic
    title = CharField(max_length=200)    # the situation, or a drill's scenario
    level = CharField(max_length=8)      # vocab.EMERGENCY_LEVELS
    status = CharField(max_length=16, default="active")  # active | stood_down
    activated_by = ForeignKeyField(User, backref="emergencies_activated", on_delete="RESTRICT")
    activated_at = DateTimeField(default=utcnow)
    stood_down_by = ForeignKeyField(User, null=True, backref="emergencies_stood_down",
                                    on_delete="RESTRICT")
    stood_down_at = DateTimeField(null=True)
    summary = TextField(default="")      # outcome, written at stand-down
    lessons = TextField(default="")      # lessons learned (drills above all)
    version = IntegerField(default=1)
    history_count = IntegerField(default=0)
    history_head = CharField(max_length=64, default="")

    class Meta:
        indexes = ((("drill", "status", "activated_at"), False),)


class EmergencyMember(BaseModel):
    """A person in one of the six team roles; removal is recorded, never deleted."""
    response = ForeignKeyField(EmergencyResponse, backref="members", on_delete="RESTRICT")
    user = ForeignKeyField(User, backref="emergency_roles", on_delete="RESTRICT")
    role = CharField(max_length=16)  # vocab.TEAM_ROLES
    added_at = DateTimeField(default=utcnow)
    added_by = ForeignKeyField(User, backref="emergency_members_added", on_delete="RESTRICT")
    removed_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("response", "user", "role"), False),
                   (("user", "removed_at"), False))


GROUP_MODELS = [GroupDetail, GroupRepresentative, EmergencyResponse, EmergencyMember]
