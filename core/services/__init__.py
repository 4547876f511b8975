"""The rules, as plain functions over models: views, API and CLI all call these."""
