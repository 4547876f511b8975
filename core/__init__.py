"""huodong: a plugin-based activity and event framework for trade unions."""
