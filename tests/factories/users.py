import factory
from django.contrib.auth.models import Group, User

from core.scoping import STAFF_GROUP

PASSWORD = "pw-for-tests"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    is_staff = True  # merchant users enter the admin too; scoping never keys on this
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def merchant_user(*merchants, **kwargs) -> User:
    from tests.factories.merchants import MembershipFactory

    user = UserFactory(**kwargs)
    for merchant in merchants:
        MembershipFactory(user=user, merchant=merchant)
    return user


def staff_user(**kwargs) -> User:
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get_or_create(name=STAFF_GROUP)[0])
    return user
