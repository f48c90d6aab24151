module example.com/btcd-debug1

go 1.19
