// Command param-named-func leaks two goroutines whose channels reach them only as parameters of
// named functions started with `go`: start makes readyCh and stopCh, hands them to
// `go splitAndScatter(ctx, readyCh)` and `go pl.pop(stopCh)`, and returns early on a failed
// preparation without closing either. Nobody else has the channels.
package main

import (
	"context"
	"errors"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

type pipeline struct {
	in chan int
}

// pop consumes items until stopCh is closed.
func (p *pipeline) pop(stopCh <-chan struct{}) {
	for {
		select { // want: select main.pipeline.in main.(*pipeline).pop#stopCh
		case v := <-p.in:
			_ = v * 2
		case <-stopCh:
			return
		}
	}
}

// splitAndScatter waits until the pipeline is ready, then scatters the work.
func splitAndScatter(ctx context.Context, readyCh <-chan struct{}) {
	<-readyCh // want: chan-receive main.splitAndScatter#readyCh
	_ = ctx.Err()
}

func prepare() error { return errors.New("prepare: no space left on device") }

func start(ctx context.Context) error {
	readyCh := make(chan struct{})
	go splitAndScatter(ctx, readyCh)
	stopCh := make(chan struct{})
	pl := &pipeline{in: make(chan int)}
	go pl.pop(stopCh)
	pl.in <- 1
	if err := prepare(); err != nil {
		return err // leaks both goroutines: neither channel is closed
	}
	close(readyCh)
	close(stopCh)
	return nil
}

func main() {
	_ = start(context.Background())

	waitParked(3)
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
