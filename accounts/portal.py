from datetime import timedelta

from core.registry import portal

# Coordinators may look up user accounts (to see who represents whom), not change them.
portal.register("accounts", coordinator="read")
portal.personal_data("accounts", export="accounts.personal_data.export", erase="accounts.personal_data.erase")
portal.periodic("purge-unconfirmed-accounts", "accounts.tasks.purge_unconfirmed_accounts", timedelta(hours=24))
