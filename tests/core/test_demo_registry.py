"""core.demo.registry: each app registers its own demo steps; core runs them in order."""

from core.demo import registry


def test_every_app_registers_its_demo_steps_in_order():
    names = [step.name for step in registry.steps()]
    assert names == [
        "directory.demo.demo_directory",
        "stories.demo.demo_stories",
        "communities.demo.demo_communities",
        "volunteers.demo.demo_volunteering",
        "insight.demo.demo_insight",
    ]


def test_steps_run_by_order_and_are_given_the_context(monkeypatch):
    monkeypatch.setattr(registry, "_steps", {})
    monkeypatch.setattr(registry, "autodiscover_modules", lambda name: None)
    ran = []

    @registry.register(order=2)
    def second(context):
        ran.append(("second", context.home))

    @registry.register(order=1)
    def first(context):
        ran.append(("first", context.home))

    registry.run(registry.DemoContext(log=print, home="home", locales={}, translate=None))
    assert ran == [("first", "home"), ("second", "home")]


def test_registering_a_step_again_replaces_it(monkeypatch):
    monkeypatch.setattr(registry, "_steps", {})
    monkeypatch.setattr(registry, "autodiscover_modules", lambda name: None)

    def step(context):
        pass

    registry.register(order=5)(step)
    registry.register(order=7)(step)
    assert [s.order for s in registry.steps()] == [7]
