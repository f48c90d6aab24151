// Command param-named-func-healthy is program 30 without the early return: start is still
// preparing (slow disk: it sleeps) when the dump is taken, and will close readyCh and stopCh once
// it is done. The two goroutines waiting on their parameters are live.
package main

import (
	"context"
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

func prepare() error {
	time.Sleep(time.Hour)
	return nil
}

func start(ctx context.Context) error {
	readyCh := make(chan struct{})
	go splitAndScatter(ctx, readyCh)
	stopCh := make(chan struct{})
	pl := &pipeline{in: make(chan int)}
	go pl.pop(stopCh)
	pl.in <- 1
	if err := prepare(); err != nil {
		return err
	}
	close(readyCh)
	close(stopCh)
	return nil
}

func main() {
	go start(context.Background())

	waitParked(4)
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
