// Command polling-loop-no-exit runs a polling loop that can never stop: its only way out is
// `<-ctx.Done()`, and the cancel function of that context is returned by startPoller to a caller
// that drops it. The loop is not blocked (its ticker keeps firing), but it is leaked.
package main

import (
	"context"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

type poller struct {
	polls int
}

func (p *poller) run(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select { // want: select main.(*poller).run#ctx main.(*poller).run#t.C
		case <-ctx.Done():
			return
		case <-t.C:
			p.polls++
		}
	}
}

// startPoller starts a poller and returns the function that stops it.
func startPoller() context.CancelFunc {
	ctx, cancel := context.WithCancel(context.Background())
	go (&poller{}).run(ctx)
	return cancel
}

func main() {
	startPoller() // the stop function is dropped

	waitParked(2)
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
