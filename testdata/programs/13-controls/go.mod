module example.com/controls

go 1.19
