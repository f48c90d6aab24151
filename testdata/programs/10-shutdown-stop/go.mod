module example.com/shutdown-stop

go 1.19
