// Command named-chan-type leaks a puller that reports progress through methods of a named channel
// type: chanOutput(d.progress) converts the download's channel, WriteProgress sends on it, and the
// download stops reading progress once it has seen the first error.
package main

import (
	"errors"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

// Progress is one step of a pull.
type Progress struct {
	Layer int
	Err   error
}

// chanOutput writes progress to a channel.
type chanOutput chan<- Progress

// WriteProgress sends p to the channel.
func (out chanOutput) WriteProgress(p Progress) error {
	out <- p // want: chan-send main.Download.progress
	return nil
}

type Download struct {
	progress chan Progress
}

// pull fetches the layers, reporting each one.
func pull(out chanOutput, layers int) {
	for i := 0; i < layers; i++ {
		p := Progress{Layer: i}
		if i == 1 {
			p.Err = errors.New("layer 1: unexpected EOF")
		}
		_ = out.WriteProgress(p)
	}
}

// run reads the progress until the first error.
func (d *Download) run() error {
	go pull(chanOutput(d.progress), 4)
	for p := range d.progress {
		if p.Err != nil {
			return p.Err // stops reading: pull is still sending
		}
	}
	return nil
}

func main() {
	d := &Download{progress: make(chan Progress)}
	_ = d.run()

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
