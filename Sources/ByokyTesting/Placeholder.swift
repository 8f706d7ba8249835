package enum TestingPlaceholder {}
