"""The immutable row stores of dataset versions and reading from them: the file
store, queries, the served version and catalogue (selectors), and the downloads."""
