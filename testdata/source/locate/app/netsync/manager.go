package netsync

type Manager struct{ msgChan chan int }

func New() *Manager { return &Manager{msgChan: make(chan int)} }

func (m *Manager) Run() {
	m.msgChan <- 1
}
