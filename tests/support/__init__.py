"""What many tests need, written once: people and their sign-in, files, the CLI as a
process.  Nothing here comes from the demo's seeding code: the demo may change what
it shows without changing what the tests mean."""
