// Command mieruka is the platform of a municipal industrial promotion
// division. See internal/app for what it does; `mieruka --help` for how.
package main

import (
	"os"

	"mieruka/internal/app"
)

func main() {
	os.Exit(app.CLI(os.Args[1:], os.Stdout, os.Stderr))
}
