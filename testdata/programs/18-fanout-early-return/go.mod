module example.com/fanout-early-return

go 1.19
