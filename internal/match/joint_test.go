package match

import (
	"context"
	"testing"
)

func TestJointGroupsDemo(t *testing.T) {
	e := demoEngine(t)
	gs, err := e.JointGroups(context.Background(), Query{Kind: KindPartner, Text: "切削 → めっき → 組立 まで一括で受注したい。ステンレス、小ロット。"})
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) == 0 {
		t.Fatal("no groups")
	}
	for _, g := range gs {
		t.Logf("%s", g.Why)
		covered := map[string]bool{}
		for _, c := range g.Coverage {
			if len(c.Members) > 0 {
				covered[c.Step] = true
			}
		}
		if len(covered) != 3 {
			t.Errorf("group does not cover the 3 steps: %+v", g.Coverage)
		}
		leaders := 0
		for _, m := range g.Members {
			if m.Leader {
				leaders++
			}
		}
		if leaders != 1 || g.Members[0].ID != g.Leader {
			t.Errorf("leader: %+v", g)
		}
	}
	for i := 1; i < len(gs); i++ {
		if len(gs[i].Members) < len(gs[i-1].Members) {
			t.Errorf("groups not ordered by size")
		}
	}
}
