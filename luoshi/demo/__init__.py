"""The living demo (`luoshi demo`): a store with plans, units, accounts and a reporting history,
for trying the web app as each role would. See `luoshi.demo.build.build_demo`."""
from luoshi.demo.build import DemoWorld, build_demo

__all__ = ["DemoWorld", "build_demo"]
