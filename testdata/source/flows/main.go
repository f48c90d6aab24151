// Package main holds one shape per value-flow rule. The test reads the `// class:` and `// open:`
// marks: a class mark on a line says the resource names A and B are one class; an open mark
// says A's class is open (its value may reach code the index cannot follow); a closed mark says
// it is not; a home mark says A's class is made fresh by each call of F.
package main

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"
)

type Server struct {
	quit    chan struct{}
	reqs    chan int
	results chan int
	mu      sync.Mutex
}

// Parameters join the argument's class.
func drain(ch chan int) { // class: main.drain#ch main.Server.reqs
	for range ch {
	}
}

func (s *Server) start() {
	go drain(s.reqs)
	go s.loop()
}

func (s *Server) loop() {
	for {
		select {
		case <-s.quit: // closed: main.Server.quit
			return
		case v := <-s.reqs:
			fmt.Println(v)
		}
	}
}

// A composite-literal field and a plain assignment join the local's class.
func newServer() *Server {
	results := make(chan int) // class: main.newServer#results main.Server.results
	s := &Server{results: results, quit: make(chan struct{})}
	var next chan int
	next = s.reqs // class: main.newServer#next main.Server.reqs
	_ = next
	return s
}

// A channel stored in a value handed to code outside the index joins the field it is stored in:
// what the outside code calls back (ServeHTTP, an entry point) is where the field is used.
func register(mux *http.ServeMux, updates chan string) { // class: main.register#updates main.handler.c
	mux.Handle("/", handler{updates})
}

// A channel handed to code outside the index itself is open.
func publish(m *sync.Map, events chan string) { // open: main.publish#events
	m.Store("events", events)
}

type handler struct{ c chan string }

func (h handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {}

// A returned channel is one class with the callers' uses of the result; main drops it, so it is
// closed, but it has no home: a caller could hand it on. A channel sent as a value is open.
func After(f func()) chan struct{} {
	ch := make(chan struct{}) // closed: main.After#ch
	go func() {
		defer close(ch)
		f()
	}()
	return ch
}

func relay(out chan chan int) {
	mine := make(chan int) // open: main.relay#mine
	out <- mine
}

func fanOut(n int) int {
	results := make(chan int) // home: main.fanOut#results main.fanOut
	for i := 0; i < n; i++ {
		go func(i int) { results <- i }(i)
	}
	return <-results
}

// A child context joins its parent: the parent's cancel ends it too.
func withParent(parent context.Context) {
	ctx, cancel := context.WithCancel(parent) // class: main.withParent#ctx main.withParent#parent
	defer cancel()
	<-ctx.Done()
}

// A cancel function is of its context's class wherever it is stored; handed to code outside the
// index, the class is open.
type tx struct{ cancel context.CancelFunc }

func begin() *tx {
	ctx, cancel := context.WithCancel(context.Background()) // class: main.begin#ctx main.tx.cancel
	t := &tx{cancel: cancel}
	go func() { <-ctx.Done() }()
	return t
}

func handOff(parent context.Context) {
	ctx, cancel := context.WithCancel(parent) // open: main.handOff#ctx
	time.AfterFunc(time.Second, cancel)
	<-ctx.Done()
}

// `ch := ch` names the outer ch, never itself; a range element is of its container's class.
func copies(chs []chan int) {
	for _, ch := range chs {
		ch := ch // class: main.copies#ch main.copies#chs
		go func() { <-ch }()
	}
}

// A conversion keeps the value; a method of a named channel type has it as its receiver.
type signal chan struct{}

func (s signal) fire() { close(s) } // class: main.signal.fire#s main.Server.quit

// Called through an interface, a method of a channel type has a receiver value flow cannot follow.
type sink interface{ put(v int) }

type chanSink chan int

func (c chanSink) put(v int) { c <- v } // open: main.chanSink.put#c

func feed(s sink) { s.put(1) }

func (s *Server) stop() {
	signal(s.quit).fire()
	q := signal(s.quit) // class: main.(*Server).stop#q main.Server.quit
	q.fire()
}

// Appending to a slice field, and indexing it, stay in the field's class.
type pool struct{ workers []chan int }

func (p *pool) add() {
	p.workers = append(p.workers, make(chan int))
	w := p.workers[0] // class: main.(*pool).add#w main.pool.workers
	w <- 1
}

// `ctx, t.cancel = context.WithCancel(ctx)` joins the field to the child context.
type job struct{ cancel context.CancelFunc }

func (j *job) run(ctx context.Context) {
	ctx, j.cancel = context.WithCancel(ctx) // class: main.(*job).run#ctx main.job.cancel
	<-ctx.Done()
}

// A result returned by an indexed function joins the caller's local.
func makeQuit() chan struct{} { return make(chan struct{}) }

func waitQuit() {
	q := makeQuit() // class: main.waitQuit#q main.makeQuit#~ret0
	<-q
}

// A callback stored in a slice field is called through a range element: the call runs it.
type hub struct{ subs []func() }

func (h *hub) on(f func()) { h.subs = append(h.subs, f) } // class: main.hub.subs main.(*hub).on#f

func (h *hub) fire() {
	for _, f := range h.subs { // class: main.(*hub).fire#f main.hub.subs
		f()
	}
}

// The Locker of a Cond is the lock handed to sync.NewCond.
type queue struct {
	mu   sync.Mutex
	cond *sync.Cond
}

func newQueue() *queue {
	q := &queue{}
	q.cond = sync.NewCond(&q.mu) // class: main.queue.cond.L main.queue.mu
	q.cond.L.Lock()
	q.cond.L.Unlock()
	return q
}

func main() {
	h := &hub{}
	h.on(func() {})
	h.fire()
	_ = newQueue()
	s := newServer()
	s.start()
	withParent(context.Background())
	_ = After(func() {})
	relay(make(chan chan int, 1))
	_ = fanOut(3)
	_ = begin()
	copies(nil)
	s.stop()
	feed(chanSink(make(chan int)))
	(&pool{}).add()
	(&job{}).run(context.Background())
	waitQuit()
	handOff(context.Background())
	register(http.NewServeMux(), make(chan string))
	publish(&sync.Map{}, make(chan string))
}
