/* Fixture: a shared library that exports no `retort_plugin_entry`. The host must refuse it. */
int retort_fixture_not_a_plugin(void) { return 42; }
