// Package e2e holds the end-to-end tests: the real server on a loopback listener with a temp
// SQLite file, driven by Debian's headless Chromium through chromedp. scripts/install-test-deps
// installs Chromium and axe-core; without them these tests fail rather than skip.
package e2e
