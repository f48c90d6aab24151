// Command controls parks goroutines in ways that are NOT hangs, so that gridlock must report
// nothing: an idle server loop with a live quit channel and a ticker, a janitor waiting on
// time.After, a poller using select/default and sleeping, a worker pool whose producer reads a
// pipe (IO wait), goroutines sleeping, blocked in a raw syscall, waiting for a signal or parked in
// select {}, and lock/WaitGroup waits whose holder or Done-caller is alive (sleeping).
package main

import (
	"bufio"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"sync"
	"syscall"
	"time"
)

type Server struct {
	requests chan string
	quit     chan struct{}
	handled  int
}

// serve is a busy server that happens to be idle: requests, a heartbeat ticker, or quit.
func (s *Server) serve() {
	ticker := time.NewTicker(time.Hour)
	defer ticker.Stop()
	for {
		select { // want: select main.Server.requests main.Server.quit main.(*Server).serve#ticker.C
		case <-s.requests:
			s.handled++
		case <-ticker.C:
		case <-s.quit:
			return
		}
	}
}

// Submit hands a request to serve; Stop ends it. Both are live paths that main could still call.
func (s *Server) Submit(r string) { s.requests <- r }
func (s *Server) Stop()           { close(s.quit) }

// janitor waits for a request or a timeout.
func (s *Server) janitor() {
	for {
		select { // want: select main.Server.requests time.After
		case <-s.requests:
		case <-time.After(time.Hour):
		}
	}
}

// poller checks for a request without blocking, then sleeps.
func (s *Server) poller() {
	for {
		select {
		case <-s.requests:
		default:
		}
		time.Sleep(time.Hour)
	}
}

type Pool struct {
	jobs chan string
	done int
	mu   sync.Mutex
}

func (p *Pool) worker() {
	for job := range p.jobs { // want: chan-receive main.Pool.jobs
		p.mu.Lock()
		p.done += len(job)
		p.mu.Unlock()
	}
}

// feed reads jobs, one a line, from r and hands them to the workers.
func (p *Pool) feed(r io.Reader) {
	lines := bufio.NewReader(r)
	for {
		line, err := lines.ReadString('\n')
		if err != nil {
			close(p.jobs)
			return
		}
		p.jobs <- line
	}
}

type Stats struct {
	mu     sync.Mutex
	counts map[string]int
}

// flush holds the lock during a slow write (a sleep here): slow, but alive.
func (s *Stats) flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	time.Sleep(time.Hour)
}

func (s *Stats) record(key string) {
	s.mu.Lock() // want: mutex-lock main.Stats.mu
	defer s.mu.Unlock()
	s.counts[key]++
}

type Batch struct {
	wg sync.WaitGroup
}

func (b *Batch) process() {
	defer b.wg.Done()
	time.Sleep(time.Hour)
}

func (b *Batch) run() {
	b.wg.Add(1)
	go b.process()
	b.wg.Wait() // want: waitgroup-wait main.Batch.wg
}

// reloadOnHangup waits for SIGHUP, which comes from outside the program.
func reloadOnHangup() {
	hangups := make(chan os.Signal, 1)
	signal.Notify(hangups, syscall.SIGHUP)
	for range hangups { // want: chan-receive main.reloadOnHangup#hangups
	}
}

// readRaw blocks in the read system call on a blocking pipe descriptor.
func readRaw(fd int) {
	buf := make([]byte, 1)
	_, _ = syscall.Read(fd, buf)
}

func main() {
	s := &Server{requests: make(chan string), quit: make(chan struct{})}
	go s.serve()
	go s.janitor()
	go s.poller()

	pipeReader, pipeWriter, err := os.Pipe()
	if err != nil {
		panic(err)
	}
	defer pipeWriter.Close()
	p := &Pool{jobs: make(chan string)}
	for i := 0; i < 3; i++ {
		go p.worker()
	}
	go p.feed(pipeReader)

	for i := 0; i < 2; i++ {
		go func() { time.Sleep(time.Hour) }()
	}

	var rawPipe [2]int
	if err := syscall.Pipe(rawPipe[:]); err != nil {
		panic(err)
	}
	go readRaw(rawPipe[0])

	go reloadOnHangup()
	go func() { select {} }()

	st := &Stats{counts: map[string]int{}}
	go st.flush()
	waitParked(14)
	go st.record("hits")

	b := &Batch{}
	go b.run()

	waitParked(18)
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
