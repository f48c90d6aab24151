// Command range-copy-idiom leaks goroutines written with the pre-Go-1.22 loop-variable idiom
// (`ch := ch` before the closure): each waits on a channel made locally by watchAll, which returns
// without ever sending on or closing any of them.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

// watchAll starts one watcher per name, each waiting for its own stop channel, and returns how
// many it started. The channels never leave watchAll.
func watchAll(names []string) int {
	chs := make([]chan struct{}, len(names))
	for i := range chs {
		chs[i] = make(chan struct{})
	}
	for _, ch := range chs {
		ch := ch
		go func() {
			<-ch // want: chan-receive main.watchAll#chs
		}()
	}
	return len(chs)
}

func main() {
	n := watchAll([]string{"config", "secrets", "routes"})

	waitParked(1 + n)
	pprof.Lookup("goroutine").WriteTo(os.Stdout, 2)
}

// waitParked waits until n goroutines exist and gives them time to reach their blocking operation.
func waitParked(n int) {
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() < n && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
}
