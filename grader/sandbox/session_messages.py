"""The messages of session.py, in Korean and English (registered in grader.i18n on import)."""

from grader.i18n import register

register({
    "out_of_gpu_memory": {
        "ko": "GPU 메모리 부족: 이 학생에게 허용된 GPU 메모리를 넘었습니다. 배치 크기나 모델 크기를 줄여 보세요.",
        "en": "Ran out of GPU memory: used more than this student's share. Try a smaller batch or model.",
    },
    "too_many_processes": {
        "ko": "프로세스가 너무 많습니다: 한 번에 {n}개까지만 만들 수 있습니다. fork나 subprocess를 반복해서 부르고 있지 않은지 확인하세요.",
        "en": "Too many processes: at most {n} may run at once. Look for fork() or subprocess calls in a loop.",
    },
})
