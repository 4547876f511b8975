"""The core's HTML pages, one blueprint per subject."""


def blueprints():
    from core.views.account import bp as account
    from core.views.accounts_admin import bp as accounts
    from core.views.activation import bp as activation
    from core.views.auth import bp as auth
    from core.views.events import bp as events
    from core.views.feeds import bp as feeds
    from core.views.main import bp as main
    from core.views.members import bp as members
    from core.views.oidc import bp as oidc
    from core.views.registrations import bp as registrations
    from core.views.units import bp as units

    return [auth, main, events, units, members, registrations, feeds, account, accounts, activation, oidc]
