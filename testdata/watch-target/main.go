// Command watchtarget is a live Go process for gridlock's watch tests. It serves net/http/pprof on
// a loopback port and deadlocks on request, so a test can watch a healthy program go bad.
//
// The first line on stdout is the address it listens on (`127.0.0.1:PORT`). Pass `-addr` to listen
// on a given address instead (a test restarts the program on the port it had before).
//
//	GET /deadlock/cycle  two event loops that send into each other's channels (the btcd #2258 shape)
//	GET /deadlock/leak   a mutex left locked by an early return, then a goroutine stuck on it
//	                     (the tendermint #7029 shape)
//	GET /crowd?n=100     n more goroutines queue on a mutex that a slow goroutine holds
//	GET /idle?n=100      n more goroutines wait to receive work that never comes (idle workers:
//	                     a large healthy program)
//	GET /pause           the longest a 1ms sleeper overslept since the last /pause, in
//	                     microseconds, and how many times it slept: a measure of the pauses
//	                     (stop-the-world) the program suffered, for instance while profiled
package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"strconv"
	"sync"
	"time"
)

// server and syncManager mirror btcd's server and netsync.SyncManager: each loop receives from its
// own channel and forwards into the other's. Two messages in flight fill both loops, each then
// blocks sending to the other, and neither ever receives again.
type server struct {
	relayInv chan int
	sm       *syncManager
}

type syncManager struct {
	msgChan chan int
	s       *server
}

func (s *server) peerHandler() {
	for {
		select {
		case inv := <-s.relayInv:
			s.sm.msgChan <- inv // blocks for ever once blockHandler is itself sending
		}
	}
}

func (sm *syncManager) blockHandler() {
	for {
		msg := <-sm.msgChan
		sm.s.relayInv <- msg + 1 // blocks for ever once peerHandler is itself sending
	}
}

func startCycle() {
	s := &server{relayInv: make(chan int)}
	sm := &syncManager{msgChan: make(chan int), s: s}
	s.sm = sm
	go s.peerHandler()
	go sm.blockHandler()
	go func() { s.relayInv <- 1 }()
	go func() { sm.msgChan <- 2 }()
}

// reactor mirrors tendermint's statesync reactor before #7029: an error path of syncState returns
// with mtx still held, and processPeerUpdate then waits on mtx for ever.
type reactor struct {
	mtx   sync.Mutex
	peers int
}

var errNoSnapshot = errors.New("no snapshot offered")

func (r *reactor) syncState() error {
	r.mtx.Lock()
	if r.peers == 0 {
		return errNoSnapshot // returns with r.mtx held
	}
	r.mtx.Unlock()
	return nil
}

func (r *reactor) processPeerUpdate() {
	r.mtx.Lock()
	defer r.mtx.Unlock()
	r.peers++
}

func startLeak() {
	r := &reactor{}
	_ = r.syncState()
	go r.processPeerUpdate()
}

// crowdMu is held by a slow goroutine for an hour; every /crowd request adds waiters behind it.
var (
	crowdMu      sync.Mutex
	crowdStarted sync.Once
	crowdServed  int
)

func holdCrowdLock(locked chan<- struct{}) {
	crowdMu.Lock()
	close(locked)
	time.Sleep(time.Hour)
	crowdMu.Unlock()
}

func waitForCrowdLock() {
	crowdMu.Lock()
	crowdServed++
	crowdMu.Unlock()
}

func addCrowd(n int) {
	crowdStarted.Do(func() {
		locked := make(chan struct{})
		go holdCrowdLock(locked)
		<-locked
	})
	for i := 0; i < n; i++ {
		go waitForCrowdLock()
	}
}

// The pause probe: a goroutine that sleeps 1ms over and over and records by how much it overslept.
// While the world is stopped it cannot run, so its worst lateness bounds the longest pause.
var (
	pauseMu      sync.Mutex
	pauseMax     time.Duration
	pauseSamples int
)

func probePauses() {
	for {
		start := time.Now()
		time.Sleep(time.Millisecond)
		late := time.Since(start) - time.Millisecond
		pauseMu.Lock()
		if late > pauseMax {
			pauseMax = late
		}
		pauseSamples++
		pauseMu.Unlock()
	}
}

// work is never sent on: idle workers wait on it, as a worker pool's do between jobs.
var work = make(chan int)

func idleWorker() {
	for job := range work {
		_ = job
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on")
	flag.Parse()

	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "listen:", err)
		os.Exit(1)
	}
	fmt.Println(listener.Addr().String())

	http.HandleFunc("/deadlock/cycle", func(w http.ResponseWriter, _ *http.Request) {
		startCycle()
		fmt.Fprintln(w, "cycle started")
	})
	http.HandleFunc("/deadlock/leak", func(w http.ResponseWriter, _ *http.Request) {
		startLeak()
		fmt.Fprintln(w, "lock leaked")
	})
	go probePauses()
	http.HandleFunc("/pause", func(w http.ResponseWriter, _ *http.Request) {
		pauseMu.Lock()
		maxUs, samples := pauseMax.Microseconds(), pauseSamples
		pauseMax, pauseSamples = 0, 0
		pauseMu.Unlock()
		fmt.Fprintf(w, "{\"maxUs\": %d, \"samples\": %d}\n", maxUs, samples)
	})
	http.HandleFunc("/idle", func(w http.ResponseWriter, req *http.Request) {
		n, err := strconv.Atoi(req.URL.Query().Get("n"))
		if err != nil || n < 1 || n > 100000 {
			http.Error(w, "n must be a count between 1 and 100000", http.StatusBadRequest)
			return
		}
		for i := 0; i < n; i++ {
			go idleWorker()
		}
		fmt.Fprintf(w, "%d goroutines added\n", n)
	})
	http.HandleFunc("/crowd", func(w http.ResponseWriter, req *http.Request) {
		n, err := strconv.Atoi(req.URL.Query().Get("n"))
		if err != nil || n < 1 || n > 100000 {
			http.Error(w, "n must be a count between 1 and 100000", http.StatusBadRequest)
			return
		}
		addCrowd(n)
		fmt.Fprintf(w, "%d goroutines added\n", n)
	})
	if err := http.Serve(listener, nil); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}
