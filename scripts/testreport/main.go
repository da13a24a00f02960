// Command testreport reads `go test -json` from standard input, prints each
// package's result and the output of failed tests, and exits non-zero if any
// test failed or was skipped: in the full test run a skipped test is a test
// that did not run, and that is not a pass.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Elapsed float64
	Output  string
}

func main() {
	output := map[string][]string{} // package/test → output lines
	var failed, skipped []string
	passed := 0
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			fmt.Println(sc.Text()) // build errors and the like are not JSON
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "output":
			output[key] = append(output[key], e.Output)
		case "pass":
			if e.Test == "" {
				fmt.Printf("ok    %-45s %6.1fs\n", e.Package, e.Elapsed)
			} else {
				passed++
			}
			delete(output, key)
		case "fail":
			if e.Test == "" {
				fmt.Printf("FAIL  %-45s %6.1fs\n", e.Package, e.Elapsed)
				if len(output[key]) > 0 {
					fmt.Print(strings.Join(output[key], ""))
				}
				failed = append(failed, e.Package)
			} else {
				failed = append(failed, key)
				fmt.Print(strings.Join(output[key], ""))
			}
			delete(output, key)
		case "skip":
			if e.Test != "" {
				reason := ""
				for _, l := range output[key] {
					if strings.Contains(l, ".go:") {
						reason = strings.TrimSpace(l)
					}
				}
				skipped = append(skipped, key+"  "+reason)
			}
			delete(output, key)
		}
	}
	sort.Strings(skipped)
	fmt.Printf("\n%d tests passed, %d failed, %d skipped\n", passed, len(failed), len(skipped))
	for _, s := range skipped {
		fmt.Println("SKIPPED (counts as a failure in the full run): " + s)
	}
	if len(failed) > 0 || len(skipped) > 0 {
		os.Exit(1)
	}
}
