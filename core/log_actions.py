"""Audit-log actions of the apps in Wagtail's log (labels in the admin's history and log filters)."""

from wagtail import hooks


def register_log_actions(actions):
    """Register ``{action: (label, message)}`` with Wagtail's log through its ``register_log_actions`` hook."""

    @hooks.register("register_log_actions")
    def register(registry):
        for action, (label, message) in actions.items():
            registry.register_action(action, label, message)

    return register
