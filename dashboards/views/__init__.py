"""View builders: turn query-layer answers into page content. Plain functions, testable without an app."""
