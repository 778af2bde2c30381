"""随机抽取: the operator console and the projector display."""
