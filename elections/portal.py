from core.registry import portal

portal.register("elections", demo="elections.demo.load", coordinator="manage")
portal.section("mypages", "elections/_mypages.html", order=40, context="elections.views.mypages_context")
