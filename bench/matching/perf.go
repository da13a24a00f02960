package main

import "fmt"

func perfBench(n, queries int, td string) error { return fmt.Errorf("not yet") }
