"""huodong-example: a reading club (读书会) as a third-party huodong plugin."""
