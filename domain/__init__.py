"""The domain core: models and rules, free of Flask's request and response."""
