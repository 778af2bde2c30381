"""检查与结果: the results page, its entry grid, team and file dialogs."""
