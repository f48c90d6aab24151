module example.com/captured-assign

go 1.19
