"""The three registry pages: 事项清单, 检查对象库, 执法人员库."""
