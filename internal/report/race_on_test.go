//go:build race

package report

// raceEnabled thins the slowest tests under the race detector (about 10× slower):
// concurrency is what it checks, and the plain run covers every report.
const raceEnabled = true
