from core.registry import portal

# Coordinators may look up user accounts (to see who represents whom), not change them.
portal.register("accounts", coordinator="read")
