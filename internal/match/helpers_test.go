package match

import (
	"sync"
	"testing"
)

var (
	demoOnce sync.Once
	demoDocs []Doc
	demoErr  error
)

func loadDemo(t testing.TB) []Doc {
	demoOnce.Do(func() { demoDocs, demoErr = LoadDemoDir("../demo/data") })
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demoDocs
}

func demoEngine(t testing.TB) *Engine {
	e := New()
	if err := e.Build(loadDemo(t)); err != nil {
		t.Fatal(err)
	}
	return e
}
