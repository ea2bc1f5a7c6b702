try:
    from grader.prestart import main
except KeyboardInterrupt:  # Ctrl+C while Python was still reading the grader: no traceback, exit 130
    raise SystemExit(130) from None

main()
