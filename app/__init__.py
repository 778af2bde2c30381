"""DualRandom — 双随机一公开监管工作台."""

__version__ = "0.1.0"
APP_NAME = "DualRandom"
APP_TITLE = "双随机一公开监管工作台"
