// Goroutines with pprof labels, an RWMutex writer queued behind another writer, and a goroutine
// the leak detector finds, dumped three ways: the goroutineleak profile at debug=2 (`(leaked)`),
// a panic under GOTRACEBACK=all, and the same under GOTRACEBACK=system (`gp=… m=… mp=…` on
// every header). Go 1.27 prints labels after the state bracket by default for a module whose
// go.mod says `go 1.27`; Go 1.26 prints them inside the bracket with GODEBUG=tracebacklabels=1.
//
//	go run . leak      the goroutineleak profile, debug=2, on stdout
//	go run . panic     a panic with every goroutine (GOTRACEBACK decides how much)
package main

import (
	"context"
	"os"
	"runtime/pprof"
	"sync"
	"time"
)

type store struct {
	mu sync.RWMutex
}

func (s *store) flush() {
	s.mu.Lock()
	time.Sleep(time.Hour) // holds the write lock
	s.mu.Unlock()
}

func (s *store) compact() {
	s.mu.Lock() // a second writer: waits on the RWMutex's inner Mutex, printed [sync.Mutex.Lock]
	s.mu.Unlock()
}

func ingest(jobs chan int) {
	for range jobs { // waits for ever: main never sends
	}
}

// forgotten blocks on a channel that nothing else can reach: the leak detector's case.
func forgotten() {
	ch := make(chan int)
	<-ch
}

func main() {
	jobs := make(chan int)
	s := &store{}
	pprof.Do(context.Background(), pprof.Labels("job", "ingest", "tenant", `a b"c`), func(context.Context) {
		go ingest(jobs)
	})
	pprof.Do(context.Background(), pprof.Labels("job", "flush"), func(context.Context) {
		go s.flush()
	})
	time.Sleep(50 * time.Millisecond)
	pprof.Do(context.Background(), pprof.Labels("job", "compact"), func(context.Context) {
		go s.compact()
	})
	go forgotten()
	time.Sleep(100 * time.Millisecond)
	if len(os.Args) > 1 && os.Args[1] == "leak" {
		if p := pprof.Lookup("goroutineleak"); p != nil {
			p.WriteTo(os.Stdout, 2)
		}
		return
	}
	panic("stuck")
}
